"""An independent SOAP client for the generated EMail mock: zeep (python3-zeep from Debian).

Usage: zeep_client.py <wsdl url or path> <endpoint>

Loads EMail.wsdl, points the BasicHttpBinding_EMail binding at <endpoint>, calls a few operations
with values built by zeep's own type factories, and prints one JSON document with what zeep
decoded from each reply (zeep's strict mode rejects unknown or out-of-order elements, so this
also checks the mock's response encoding). Fails (exit 1) on anything unexpected. Refuses to
fetch anything but 127.0.0.1 and local files.
"""

import base64
import datetime
import json
import sys
from urllib.parse import urlparse

import zeep
import zeep.exceptions
import zeep.helpers
import zeep.plugins
import zeep.transports
from lxml import etree

TNS = "http://www.superoffice.net/ws/crm/NetServer/Services86"
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
BINDING = "{%s}BasicHttpBinding_EMail" % TNS
TICKET = "7T:emVlcC10aWNrZXQ="
TOKEN = "zeep-app-token"


class LoopbackTransport(zeep.transports.Transport):
    """zeep's HTTP transport, limited to 127.0.0.1."""

    def _check(self, address):
        host = urlparse(address).hostname
        if host not in (None, "127.0.0.1") and not address.startswith("file:"):
            raise RuntimeError("refusing to contact %s" % address)

    def load(self, url):
        self._check(url)
        return super().load(url)

    def post(self, address, message, headers):
        self._check(address)
        return super().post(address, message, headers)


def plain(value):
    """zeep objects → JSON-ready values; datetimes as UTC ISO strings with milliseconds."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        value = value.astimezone(datetime.timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def reply(result):
    """Body and SOAP headers of a reply, as plain data."""
    serialized = zeep.helpers.serialize_object(result, dict)
    if isinstance(serialized, dict) and set(serialized) == {"body", "header"}:
        return {"body": plain(serialized["body"]), "header": plain(serialized["header"])}
    return {"body": plain(serialized), "header": None}


def main(wsdl, endpoint):
    settings = zeep.Settings(strict=True, raw_response=False)
    history = zeep.plugins.HistoryPlugin()
    client = zeep.Client(wsdl, transport=LoopbackTransport(timeout=20, operation_timeout=20), settings=settings, plugins=[history])
    service = client.create_service(BINDING, endpoint)
    # The address in the WSDL as served (the mock rewrites it to its own URL when serving ?wsdl).
    out = {"wsdlAddress": client.service._binding_options["address"]}
    so = client.type_factory(TNS)
    arr = client.type_factory(ARRAYS)
    headers = {
        "ApplicationToken": TOKEN,
        "Credentials": so.SoCredentials(Ticket=TICKET),
        "TimeZone": so.SoTimeZone(SoTimeZoneId=287, SoTimeZoneLocationCode="Europe/Oslo"),
    }

    out["SyncEmailAccount"] = reply(
        service.SyncEmailAccount(
            SyncUserAccount=so.SyncUserAccount(AccountId=12, AssociateName="jdoe <zeep> & co", AssociateId=5),
            _soapheaders=headers,
        )
    )

    out["SyncEmailAccounts"] = reply(
        service.SyncEmailAccounts(
            SyncUserAccounts=so.ArrayOfSyncUserAccount(
                SyncUserAccount=[
                    so.SyncUserAccount(AccountId=1, AssociateName="first", AssociateId=11),
                    so.SyncUserAccount(AccountId=2, AssociateName="second ÆØÅ", AssociateId=22),
                ]
            ),
            _soapheaders=headers,
        )
    )

    utc = datetime.timezone.utc
    email = so.EMailEntity(
        To=so.ArrayOfEMailAddress(
            EMailAddress=[
                so.EMailAddress(Address="anna@example.com", Name="Anna Ås", PersonId=7, DuplicatePersonIds=arr.ArrayOfint(int=[7, 8])),
                so.EMailAddress(Address="bo@example.com", Name="Bo <b>"),
            ]
        ),
        Cc=so.ArrayOfEMailAddress(EMailAddress=[so.EMailAddress(Address="cc@example.com")]),
        Subject="Quarterly report & <figures>",
        HTMLBody="<p>Hello</p>",
        From=so.EMailAddress(Address="me@example.com", Name="Me", AssociateId=5),
        Sent=datetime.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=utc),
        Size=2048,
        Priority="High",
        Flags=["Seen", "Flagged"],
        MessageID="<abc@example.com>",
        IsSent=False,
        Attachments=so.ArrayOfEMailAttachment(
            EMailAttachment=[
                so.EMailAttachment(Description="notes", Filename="notes.txt", Size=11, Type="text/plain", Stream=b"hello\x00\xffzeep")
            ]
        ),
        CustomHeaderList=so.ArrayOfEMailCustomHeader(
            EMailCustomHeader=[so.EMailCustomHeader(Name="X-Mailer", Values=arr.ArrayOfstring(string=["zeep", "strict"]))]
        ),
        ReceivedAt=datetime.datetime(2024, 5, 6, 9, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
    )
    out["Send"] = reply(service.Send(Emails=so.ArrayOfEMailEntity(EMailEntity=[email]), _soapheaders=headers))

    out["GetEMailEnvelopes"] = reply(
        service.GetEMailEnvelopes(
            ConnectionInfo=so.EMailConnectionInfo(ServerName="imap.example.com", UserName="jdoe", Password="secret", Folder="INBOX", UseSSL=True),
            MessageServerIds=arr.ArrayOfint(int=[3, 5]),
            _soapheaders=headers,
        )
    )

    out["GetEMailAccount"] = reply(service.GetEMailAccount(EMailAccountId=42, _soapheaders=headers))
    # zeep adds WS-Addressing header blocks (wsa:Action, wsa:MessageID, wsa:To) because the WSDL
    # names wsaw:Action for every operation; the mock must ignore them.
    sent = history.last_sent["envelope"]
    out["sentHeaderBlocks"] = sorted(etree.QName(el).text for el in sent.find("{http://schemas.xmlsoap.org/soap/envelope/}Header"))
    out["sentHttpHeaders"] = {k: v for k, v in history.last_sent["http_headers"].items() if k.lower() in ("soapaction", "content-type")}

    # A handler that throws a SoExceptionError: SuperOffice's Succeeded=false + ExceptionInfo.
    out["TestAuthenticate"] = reply(service.TestAuthenticate(_soapheaders=headers))

    # A handler that throws any other error: a SOAP Fault.
    try:
        service.HasNewMail(_soapheaders=headers)
        out["HasNewMail"] = {"fault": None}
    except zeep.exceptions.Fault as fault:
        out["HasNewMail"] = {"fault": {"code": fault.code, "message": fault.message}}

    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
