// What the REST Agents API needs beyond the schema: where each request field goes.
//
// SuperOffice's Agents API (`POST {installation}/api/v1/Agents/{Agent}/{Method}`) takes a JSON body
// keyed by the WSDL's parameter names, with two exceptions, both visible on its documentation
// pages (one per method, e.g. v1EMailAgent_GetEMailAccount):
//
//   query   single-id readers and deleters take their id in the query string:
//           GetEMailAccount?eMailAccountId=…, GetEMailSOInfo?eMailSOInfoId=…,
//           DeleteEMailAccount?EMailAccountId=…; while GetEMailFromDocumentId (DocumentId) and
//           LatestItemIdByFolder (FolderId) take a body. The rule that separates them, read off
//           the WSDL: the method is Get<X> or Delete<X> and its one parameter is an integer <X>Id.
//   entity  entity savers take the entity itself as the body ("Request Body: entity"):
//           SaveEMailAccount's body is the EMailAccount, while Save (Email), SaveDraft (Entity) and
//           SaveEMail (ConnectionInfo, Email) take `{ "Email": … }`. The rule: the method is
//           Save<X> and its one parameter is named <X>, of a complex type.
import type { ComplexTypeDef } from '../model/types.js';

const ID_TYPES = new Set(['int', 'long', 'short']);

export interface RestBinding {
  /** Request fields sent as query-string parameters. */
  readonly query: readonly string[];
  /** The request field whose value is the whole JSON body, if any. */
  readonly entity: string | undefined;
}

export function restBinding(operation: string, request: ComplexTypeDef): RestBinding {
  const only = request.base === undefined && request.fields.length === 1 ? request.fields[0]! : undefined;
  if (!only || only.maxOccurs !== 1) return { query: [], entity: undefined };
  const id = /^(?:Get|Delete)(\w+)$/.exec(operation);
  if (id && only.type.kind === 'primitive' && ID_TYPES.has(only.type.name) && only.name === `${id[1]}Id`) {
    return { query: [only.name], entity: undefined };
  }
  const save = /^Save(\w+)$/.exec(operation);
  if (save && only.type.kind === 'named' && only.name === save[1]) return { query: [], entity: only.name };
  return { query: [], entity: undefined };
}
