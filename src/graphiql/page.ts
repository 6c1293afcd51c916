/**
 * The GraphiQL HTML page and the headers every GraphiQL response carries. The page holds no
 * inline script: its configuration is a JSON data block, which browsers never execute.
 */
import { randomBytes } from 'node:crypto';

export interface PageConfig {
  readonly endpoint: string;
  readonly defaultQuery: string;
  /** JSON text for the headers editor. */
  readonly defaultHeaders: string;
}

/**
 * Strict apart from styles, where Monaco leaves two needs:
 * - it creates <style> elements at run time: allowed only with this response's nonce, which
 *   the page's own script stamps on the elements it creates (web/graphiql/style-nonce.ts);
 *   markup injected as HTML (schema descriptions) cannot carry it;
 * - it positions lines, selections and guides with style="…" attributes inside HTML strings,
 *   which no nonce or hash can cover: `style-src-attr 'unsafe-inline'`. Attributes cannot
 *   select elements or load anything beyond img-src/font-src, so they cannot exfiltrate.
 * No 'unsafe-inline' or 'unsafe-eval' for scripts; workers and fetches stay same-origin.
 */
export function contentSecurityPolicy(styleNonce?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "connect-src 'self'",
    styleNonce ? `style-src 'self' 'nonce-${styleNonce}'` : "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(styleNonce?: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(styleNonce),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

export function newStyleNonce(): string {
  return randomBytes(18).toString('base64');
}

/** JSON that cannot end the <script> element it sits in, nor open a comment there. */
function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The page as a function of the nonce, everything else fixed at start-up. */
export function pageTemplate(assetPath: string, assets: { readonly script: string; readonly style: string }, config: PageConfig): (styleNonce: string) => string {
  const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>GraphiQL · Payments gateway</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetPath}/${assets.style}">
<script type="module" src="${assetPath}/${assets.script}"></script>
<script type="application/json" id="graphiql-config" nonce="`;
  const tail = `">${jsonForScriptElement(config)}</script>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
</body>
</html>
`;
  return (styleNonce) => head + styleNonce + tail;
}
