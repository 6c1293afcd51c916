import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Client types for the typed-client example, from the gateway's own schema and the operations in
 * ./operations. Paths are relative to this file, so it runs from any directory:
 *
 *   npx graphql-codegen --config examples/typed-client/codegen.ts          # regenerate
 *   npx graphql-codegen --config examples/typed-client/codegen.ts --check  # CI: stale?
 *
 * Writes src/gql/ (committed), including persisted-documents.json: the manifest of trusted
 * documents (`sha256:<hex>` → document text) a gateway started with TRUSTED_DOCUMENTS accepts.
 */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const config: CodegenConfig = {
  schema: here('../../schema/*.graphql'),
  documents: here('./operations/*.graphql'),
  ignoreNoDocuments: false,
  generates: {
    [here('./src/gql/')]: {
      preset: 'client',
      presetConfig: {
        // The manifest, and each document's hash in `__meta__.hash`.
        persistedDocuments: true,
        // One plain result type per operation: PaymentFields is spread into it.
        fragmentMasking: false,
      },
      config: {
        // Documents are strings (TypedDocumentString): sent as they are, no graphql-js at run time.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        // ESM with NodeNext: relative imports end in `.js`.
        emitLegacyCommonJSImports: false,
        scalars: {
          DateTime: 'string',
          Decimal: 'string',
          SafeInt: 'number',
          JSON: 'unknown',
        },
      },
    },
  },
};

export default config;
