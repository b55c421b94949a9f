// The transport's view of the protocol layer: the interface lives in protocol/ so that nothing imports server/.
export type { ClientIdentity, ConnectionContext, KmipHandler } from '../protocol/kmip-handler.js';
