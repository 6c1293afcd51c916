/**
 * Reading the GraphiQL page over HTTP, as a browser would receive it.
 */
import { request } from 'undici';
import type { PageConfig } from '../../src/graphiql/page.js';

export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const response = await request(url, { headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, body, text: body.toString('utf8') };
}

/** The page's configuration data block and the nonce it carries. */
export function pageConfig(html: string): { readonly config: PageConfig; readonly nonce: string } {
  const match = /<script type="application\/json" id="graphiql-config" nonce="([^"]+)">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error(`no #graphiql-config data block in:\n${html}`);
  return { nonce: match[1]!, config: JSON.parse(match[2]!) as PageConfig };
}

/** The CSP the page carries: only the nonce differs from one response to the next. */
export const pagePolicy = (nonce: string): string =>
  "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; " +
  `style-src 'self' 'nonce-${nonce}'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; ` +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The CSP of the page's files (and of its 404s): no nonce, nothing inline. */
export const ASSET_POLICY =
  "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; " +
  "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
