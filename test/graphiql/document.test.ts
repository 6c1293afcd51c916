import { buildSchema, isUnionType, Kind, parse, validate, type InlineFragmentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleDocument, PLACEHOLDER_PAYMENT_ID } from '../../src/graphiql/document.js';
import { loadTypeDefs } from '../../src/graphql/schema.js';

const schema = buildSchema(loadTypeDefs());

describe('GraphiQL\'s example document', () => {
  it('is valid against the schema, with ReadPayment and CancelPayment on the given id', () => {
    const document = parse(exampleDocument('UGF5bWVudDpITUFDOmFiYw'));
    expect(validate(schema, document)).toEqual([]);
    const operations = document.definitions as OperationDefinitionNode[];
    expect(operations.map((operation) => [operation.operation, operation.name?.value])).toEqual([
      ['query', 'ReadPayment'],
      ['mutation', 'CancelPayment'],
    ]);
    expect(exampleDocument('UGF5bWVudDpITUFDOmFiYw').match(/"UGF5bWVudDpITUFDOmFiYw"/g)).toHaveLength(2);
  });

  it('the cancel selects __typename and every member of CancelPaymentResult', () => {
    const cancel = (parse(exampleDocument()).definitions[1] as OperationDefinitionNode).selectionSet.selections[0]!;
    if (cancel.kind !== Kind.FIELD || !cancel.selectionSet) throw new Error('cancelPayment has no selection');
    const selected = cancel.selectionSet.selections.map((selection) =>
      selection.kind === Kind.FIELD ? selection.name.value : (selection as InlineFragmentNode).typeCondition?.name.value,
    );
    const union = schema.getType('CancelPaymentResult');
    if (!isUnionType(union)) throw new Error('CancelPaymentResult is not a union');
    expect(selected).toEqual(['__typename', ...union.getTypes().map((type) => type.name)]);
  });

  it('without an id, a placeholder that is still a valid document', () => {
    expect(exampleDocument()).toContain(JSON.stringify(PLACEHOLDER_PAYMENT_ID));
    expect(validate(schema, parse(exampleDocument()))).toEqual([]);
  });
});
