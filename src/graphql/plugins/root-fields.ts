/**
 * The fields an operation selects at its root, fragments followed, with their arguments
 * resolved against the request's variables: what access and limit checks look at before
 * anything runs.
 */
import { Kind, valueFromASTUntyped, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface FieldUse {
  readonly name: string;
  readonly argument: (name: string) => unknown;
}

/** Every field selected at the root of the operation, fragments followed. */
export function rootFields(operation: OperationDefinitionNode, document: DocumentNode, variables: Record<string, unknown>): FieldUse[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fields: FieldUse[] = [];
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        fields.push({
          name: selection.name.value,
          argument: (name) => {
            const value = selection.arguments?.find((argument) => argument.name.value === name)?.value;
            return value === undefined ? undefined : valueFromASTUntyped(value, variables);
          },
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      }
    }
  };
  walk(operation.selectionSet);
  return fields;
}
