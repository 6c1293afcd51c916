/**
 * The browser entry of the gateway's GraphiQL page, bundled by scripts/build-graphiql.mjs into
 * dist/graphiql/ and served by src/graphiql/. Everything it loads comes from the gateway.
 */
import './style-nonce';
import './monaco-workers';
import 'graphiql/style.css';
import './page.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readPageConfig } from './config';
import { createPageFetcher } from './fetcher';
import { createHeaderlessStorage } from './storage';

const config = readPageConfig();
const root = document.getElementById('graphiql');
if (!root) throw new Error('GraphiQL: the page has no #graphiql element');
const { fetcher, headersEdited } = createPageFetcher(config.endpoint, JSON.parse(config.defaultHeaders));

createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      onEditHeaders={headersEdited}
      defaultQuery={config.defaultQuery}
      defaultHeaders={config.defaultHeaders}
      defaultEditorToolsVisibility="headers"
      // Headers carry API keys: never written to localStorage (nor by the history plugin),
      // and no setting to turn that on.
      storage={createHeaderlessStorage()}
      shouldPersistHeaders={false}
      showPersistHeadersSettings={false}
    />
  </StrictMode>,
);
