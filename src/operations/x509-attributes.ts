// The attributes a registered X.509 certificate implies (1.4 §3.8–3.16: Certificate Type, Length, Identifier,
// Subject, Issuer, Digital Signature Algorithm; 2.1 §4.6 Certificate Subject/Issuer fields; §4.13, §4.15 its key's
// algorithm and length). node:crypto parses the certificate; a few DER fields it does not expose (the raw issuer
// and subject Names, the signature algorithm OID) are read with a minimal DER walker.
import { X509Certificate } from 'node:crypto';
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { Tag } from '../kmip/tag.js';
import type { AttributeInstance } from '../model/attribute.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';

interface DerNode {
  readonly tag: number;
  /** Whole element (header and content). */
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

function derAt(buf: Uint8Array, offset: number, limit: number): DerNode {
  if (offset + 2 > limit) throw new Error('DER: truncated header');
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) throw new Error('DER: truncated content');
  return { tag, start: offset, contentStart: p, end: p + len };
}

function derChildren(buf: Uint8Array, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let p = node.contentStart; p < node.end; ) {
    const c = derAt(buf, p, node.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

function oidText(buf: Uint8Array, node: DerNode): string {
  const parts: number[] = [];
  let v = 0;
  for (let p = node.contentStart; p < node.end; p++) {
    v = v * 128 + (buf[p]! & 0x7f);
    if ((buf[p]! & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const S = Enum.DigitalSignatureAlgorithm;

/** Signature algorithm OIDs (RFC 3279, RFC 4055, RFC 5758, NIST CSOR) → Digital Signature Algorithm (1.4 §9.1.3.2.7). */
const SIGNATURE_ALGORITHMS: ReadonlyMap<string, number> = new Map([
  ['1.2.840.113549.1.1.2', S.MD2WithRSAEncryption],
  ['1.2.840.113549.1.1.4', S.MD5WithRSAEncryption],
  ['1.2.840.113549.1.1.5', S.SHA_1WithRSAEncryption],
  ['1.2.840.113549.1.1.14', S.SHA_224WithRSAEncryption],
  ['1.2.840.113549.1.1.11', S.SHA_256WithRSAEncryption],
  ['1.2.840.113549.1.1.12', S.SHA_384WithRSAEncryption],
  ['1.2.840.113549.1.1.13', S.SHA_512WithRSAEncryption],
  ['1.2.840.113549.1.1.10', S.RSASSA_PSS],
  ['1.2.840.10040.4.3', S.DSAWithSHA_1],
  ['2.16.840.1.101.3.4.3.1', S.DSAWithSHA224],
  ['2.16.840.1.101.3.4.3.2', S.DSAWithSHA256],
  ['1.2.840.10045.4.1', S.ECDSAWithSHA_1],
  ['1.2.840.10045.4.3.1', S.ECDSAWithSHA224],
  ['1.2.840.10045.4.3.2', S.ECDSAWithSHA256],
  ['1.2.840.10045.4.3.3', S.ECDSAWithSHA384],
  ['1.2.840.10045.4.3.4', S.ECDSAWithSHA512],
  ['2.16.840.1.101.3.4.3.14', S.SHA3_256WithRSAEncryption],
  ['2.16.840.1.101.3.4.3.15', S.SHA3_384WithRSAEncryption],
  ['2.16.840.1.101.3.4.3.16', S.SHA3_512WithRSAEncryption],
]);

/** node's Name attribute short names → the 2.x Certificate Subject/Issuer attribute suffix (2.1 §4.6 Table 35). */
const NAME_FIELDS: ReadonlyMap<string, string> = new Map([
  ['CN', 'CN'], ['O', 'O'], ['OU', 'OU'], ['emailAddress', 'Email'], ['C', 'C'], ['ST', 'ST'], ['L', 'L'],
  ['UID', 'UID'], ['serialNumber', 'SerialNumber'], ['title', 'Title'], ['DC', 'DC'], ['dnQualifier', 'DNQualifier'],
]);

const A = Enum.CryptographicAlgorithm;
const KEY_ALGORITHMS: Readonly<Record<string, number>> = { rsa: A.RSA, 'rsa-pss': A.RSA, dsa: A.DSA, ec: A.EC, ed25519: A.Ed25519, ed448: A.Ed448 };
const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224, prime192v1: 192,
};

function one(name: string, value: TtlvItem): AttributeInstance {
  return { name, index: 0, value };
}

/**
 * The attributes of an X.509 certificate given as DER. Throws Invalid Field when the bytes are not a certificate.
 * Each attribute carries only the versions that define it (the store is version-neutral; Get Attributes filters).
 */
export function x509Attributes(der: Uint8Array): AttributeInstance[] {
  let cert: X509Certificate;
  let issuerDer: Uint8Array;
  let subjectDer: Uint8Array;
  let serial: Uint8Array;
  let signatureOid: string;
  try {
    cert = new X509Certificate(der);
    const root = derAt(der, 0, der.length);
    const [tbs, sigAlg] = derChildren(der, root);
    const fields = derChildren(der, tbs!);
    const at = fields[0]!.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version is optional
    const serialNode = fields[at]!;
    serial = der.slice(serialNode.contentStart, serialNode.end);
    issuerDer = der.slice(fields[at + 2]!.start, fields[at + 2]!.end);
    subjectDer = der.slice(fields[at + 4]!.start, fields[at + 4]!.end);
    signatureOid = oidText(der, derChildren(der, sigAlg!)[0]!);
  } catch {
    throw new KmipError('InvalidField', 'the Certificate Value is not a DER-encoded X.509 certificate');
  }
  const out: AttributeInstance[] = [
    one('CertificateLength', ttlv.integer(Tag.CertificateLength, der.length)),
    one('X_509CertificateIdentifier', ttlv.structure(Tag.X_509CertificateIdentifier, [
      ttlv.byteString(Tag.IssuerDistinguishedName, issuerDer),
      ttlv.byteString(Tag.CertificateSerialNumber, serial),
    ])),
    one('X_509CertificateSubject', ttlv.structure(Tag.X_509CertificateSubject, [ttlv.byteString(Tag.SubjectDistinguishedName, subjectDer)])),
    one('X_509CertificateIssuer', ttlv.structure(Tag.X_509CertificateIssuer, [ttlv.byteString(Tag.IssuerDistinguishedName, issuerDer)])),
    // 1.0's text forms (deprecated in 1.1, gone in 2.0).
    one('CertificateIdentifier', ttlv.structure(Tag.CertificateIdentifier, [
      ttlv.textString(Tag.Issuer, cert.issuer.replace(/\n/g, ', ')),
      ttlv.textString(Tag.SerialNumber, cert.serialNumber),
    ])),
    one('CertificateSubject', ttlv.structure(Tag.CertificateSubject, [
      ttlv.textString(Tag.CertificateSubjectDistinguishedName, cert.subject.replace(/\n/g, ', ')),
    ])),
    one('CertificateIssuer', ttlv.structure(Tag.CertificateIssuer, [
      ttlv.textString(Tag.CertificateIssuerDistinguishedName, cert.issuer.replace(/\n/g, ', ')),
    ])),
  ];
  const signature = SIGNATURE_ALGORITHMS.get(signatureOid);
  if (signature !== undefined) out.push(one('DigitalSignatureAlgorithm', ttlv.enumeration(Tag.DigitalSignatureAlgorithm, signature)));
  const key = cert.publicKey;
  const algorithm = key.asymmetricKeyType === undefined ? undefined : KEY_ALGORITHMS[key.asymmetricKeyType];
  const details = key.asymmetricKeyDetails;
  const bits = details?.modulusLength ?? (details?.namedCurve !== undefined ? CURVE_BITS[details.namedCurve] : undefined)
    ?? (key.asymmetricKeyType === 'ed25519' ? 255 : key.asymmetricKeyType === 'ed448' ? 448 : undefined);
  if (algorithm !== undefined && bits !== undefined) {
    out.push(one('CryptographicAlgorithm', ttlv.enumeration(Tag.CryptographicAlgorithm, algorithm)));
    out.push(one('CryptographicLength', ttlv.integer(Tag.CryptographicLength, bits)));
  }
  out.push(...nameFields('Subject', cert.subject), ...nameFields('Issuer', cert.issuer));
  return out;
}

/** The 2.x Certificate Subject … / Certificate Issuer … attributes from node's "KEY=value" lines. */
function nameFields(which: 'Subject' | 'Issuer', name: string): AttributeInstance[] {
  const out: AttributeInstance[] = [];
  for (const line of name.split('\n')) {
    const eq = line.indexOf('=');
    const field = NAME_FIELDS.get(line.slice(0, eq));
    if (eq < 0 || field === undefined) continue;
    const attr = `Certificate${which}${field}`;
    const tag = (Tag as Readonly<Record<string, number>>)[attr];
    if (tag === undefined) continue;
    out.push({ name: attr, index: out.filter((a) => a.name === attr).length, value: ttlv.textString(tag, line.slice(eq + 1)) });
  }
  return out;
}
