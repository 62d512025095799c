/** Interface of the Playwright adapter (implementation: src/net/playwright-pool.ts). */
export interface RenderRequest {
  url: string;
  waitForSelector?: string;
  timeoutMs: number;
  userAgent?: string;
  proxy?: string;
}
export interface RenderResult {
  finalUrl: string;
  status: number;
  html: string;
}
export interface BrowserPool {
  /** Render a page in a fresh context (no cookies kept) and return its DOM as HTML. */
  render(req: RenderRequest): Promise<RenderResult>;
  close(): Promise<void>;
}
