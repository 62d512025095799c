/** Interface of the HTTP adapter every crawler uses (implementation: src/net/http-fetcher.ts). */
export interface FetchRequest {
  url: string;
  /** Named timeout: the name appears in TimeoutError messages (e.g. "telegram.page"). */
  timeoutName: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Accepted media types, e.g. ["text/html"]. Anything else raises ContentTypeError. */
  accept: readonly string[];
  headers?: Record<string, string>;
  userAgent?: string;
  proxy?: string;
  signal?: AbortSignal;
  /** Awaited before every HTTP request, redirect hops included (the per-host rate limit hooks in here). */
  beforeRequest?: (url: string) => Promise<void>;
}

export interface FetchTextResult {
  /** URL requested. */
  url: string;
  /** URL after redirects. */
  finalUrl: string;
  /** Every URL redirected through, in order (empty when none). */
  redirects: string[];
  status: number;
  contentType: string;
  /** Charset used to decode (from header, BOM, or <meta>), lowercase. */
  charset: string;
  /** Set when the charset was overridden or contradicted (a UTF-7 label, a header/<meta> disagreement). */
  charsetWarning?: string;
  headers: Record<string, string>;
  text: string;
}

export interface FetchBytesResult extends Omit<FetchTextResult, 'text' | 'charset'> {
  bytes: Buffer;
}

export interface Fetcher {
  /** GET a text document; follows redirects; 4xx/5xx raise HttpStatusError. */
  fetchText(req: FetchRequest): Promise<FetchTextResult>;
  fetchBytes(req: FetchRequest): Promise<FetchBytesResult>;
}
