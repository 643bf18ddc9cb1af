<?php
// An independent SOAP client for the generated EMail mock: PHP's SoapClient (php-cli, php-soap
// from Debian).
//
// Usage: php php_client.php <wsdl url or path> <endpoint>
//
// Loads EMail.wsdl (SOAP 1.1, no WSDL cache), sends to <endpoint>, calls a few operations with the
// ApplicationToken/Credentials/TimeZone headers, and prints one JSON document with what PHP
// decoded from each reply (body and output headers). Exits 1 on anything unexpected.

declare(strict_types=1);

const TNS = 'http://www.superoffice.net/ws/crm/NetServer/Services86';
const TICKET = '7T:cGhwLXRpY2tldA==';
const TOKEN = 'php-app-token';

if ($argc !== 3) {
    fwrite(STDERR, "usage: php php_client.php <wsdl> <endpoint>\n");
    exit(2);
}
[, $wsdl, $endpoint] = $argv;
foreach ([$wsdl, $endpoint] as $address) {
    $host = parse_url($address, PHP_URL_HOST);
    if ($host !== null && $host !== false && $host !== '127.0.0.1') {
        fwrite(STDERR, "refusing to contact $address\n");
        exit(2);
    }
}

set_error_handler(static function (int $severity, string $message): bool {
    throw new ErrorException($message, 0, $severity);
});

$client = new SoapClient($wsdl, [
    'location' => $endpoint,
    'trace' => 1,
    'cache_wsdl' => WSDL_CACHE_NONE,
    'soap_version' => SOAP_1_1,
    'exceptions' => true,
    'connection_timeout' => 20,
    'features' => SOAP_SINGLE_ELEMENT_ARRAYS,
]);

$headers = [
    new SoapHeader(TNS, 'ApplicationToken', TOKEN),
    new SoapHeader(TNS, 'Credentials', ['Ticket' => TICKET]),
    new SoapHeader(TNS, 'TimeZone', ['SoTimeZoneId' => 287, 'SoTimeZoneLocationCode' => 'Europe/Oslo']),
];

/** stdClass trees → arrays; base64Binary values (the `Stream` elements) as base64 text for JSON. */
function plain(mixed $value, string $key = ''): mixed
{
    if (is_object($value)) {
        $value = get_object_vars($value);
    }
    if (is_array($value)) {
        $out = [];
        foreach ($value as $k => $v) {
            $out[$k] = plain($v, (string) $k);
        }
        return $out;
    }
    if ($key === 'Stream' && is_string($value)) {
        return ['base64' => base64_encode($value)];
    }
    return $value;
}

/** One call: the decoded body and output headers, or the fault. */
function call(SoapClient $client, string $operation, array $params, array $headers): array
{
    $outputHeaders = [];
    try {
        $body = $client->__soapCall($operation, [$params], null, $headers, $outputHeaders);
        return ['body' => plain($body), 'header' => plain($outputHeaders)];
    } catch (SoapFault $fault) {
        return ['fault' => ['code' => $fault->faultcode, 'message' => $fault->getMessage()]];
    }
}

$out = [];

$out['SyncEmailAccount'] = call($client, 'SyncEmailAccount', [
    'SyncUserAccount' => ['AccountId' => 12, 'AssociateName' => 'jdoe <php> & co', 'AssociateId' => 5],
], $headers);

$out['SyncEmailAccounts'] = call($client, 'SyncEmailAccounts', [
    'SyncUserAccounts' => ['SyncUserAccount' => [
        ['AccountId' => 1, 'AssociateName' => 'first', 'AssociateId' => 11],
        ['AccountId' => 2, 'AssociateName' => 'second ÆØÅ', 'AssociateId' => 22],
    ]],
], $headers);

$out['Send'] = call($client, 'Send', [
    'Emails' => ['EMailEntity' => [[
        'To' => ['EMailAddress' => [
            ['PersonId' => 7, 'Address' => 'anna@example.com', 'DuplicatePersonIds' => ['int' => [7, 8]], 'Name' => 'Anna Ås'],
            ['Address' => 'bo@example.com', 'Name' => 'Bo <b>'],
        ]],
        'Cc' => ['EMailAddress' => [['Address' => 'cc@example.com']]],
        'Subject' => 'Quarterly report & <figures>',
        'HTMLBody' => '<p>Hello</p>',
        'From' => ['AssociateId' => 5, 'Address' => 'me@example.com', 'Name' => 'Me'],
        'Sent' => '2024-05-06T07:08:09.123Z',
        'Size' => 2048,
        'Priority' => 'High',
        'Flags' => 'Seen Flagged',
        'MessageID' => '<abc@example.com>',
        'IsSent' => false,
        'Attachments' => ['EMailAttachment' => [
            ['Description' => 'notes', 'Filename' => 'notes.txt', 'Size' => 11, 'Type' => 'text/plain', 'Stream' => "hello\x00\xffphp"],
        ]],
        'CustomHeaderList' => ['EMailCustomHeader' => [['Name' => 'X-Mailer', 'Values' => ['string' => ['php', 'SoapClient']]]]],
        'ReceivedAt' => '2024-05-06T09:00:00+02:00',
    ]]],
], $headers);

$out['GetEMailEnvelopes'] = call($client, 'GetEMailEnvelopes', [
    'ConnectionInfo' => ['ServerName' => 'imap.example.com', 'UserName' => 'jdoe', 'Password' => 'secret', 'Folder' => 'INBOX', 'UseSSL' => true],
    'MessageServerIds' => ['int' => [3, 5]],
], $headers);

$out['GetEMailAccount'] = call($client, 'GetEMailAccount', ['EMailAccountId' => 42], $headers);

// A handler that throws a SoExceptionError: SuperOffice's Succeeded=false + ExceptionInfo.
$out['TestAuthenticate'] = call($client, 'TestAuthenticate', [], $headers);

// A handler that throws any other error: a SOAP Fault.
$out['HasNewMail'] = call($client, 'HasNewMail', [], $headers);

$out['lastRequestHeaders'] = $client->__getLastRequestHeaders();

echo json_encode($out, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION), "\n";
