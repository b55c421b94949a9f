// Where the transport reports connection events for audit; the types live with the other audit records in
// protocol/audit.ts, so that the logger implements them without importing server/.
export { NULL_AUDIT_SINK, type AuditSink, type ConnectionAuditEvent } from '../protocol/audit.js';
