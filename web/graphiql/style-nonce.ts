/**
 * Monaco creates <style> elements at run time (themes, decorations, context views). The page's
 * CSP allows <style> elements only with the per-response nonce, so every <style> this page's
 * own scripts create is stamped with it at creation, before insertion (a nonce set after
 * insertion is ignored). Markup parsed from strings (markdown in schema descriptions) does not
 * go through createElement and stays blocked.
 *
 * Imported first by main.tsx, so it is installed before any library creates a style.
 */
const nonce = document.getElementById('graphiql-config')?.nonce;

if (nonce) {
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function createElementWithStyleNonce(this: Document, tagName: string, options?: ElementCreationOptions) {
    const element = createElement.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.setAttribute('nonce', nonce);
    return element;
  } as typeof Document.prototype.createElement;
}
