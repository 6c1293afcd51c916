/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CancelPayment($input: CancelPaymentInput!) {\n  cancelPayment(input: $input) {\n    __typename\n    ... on CancelPaymentSuccess {\n      alreadyCanceled\n      payment {\n        ...PaymentFields\n      }\n    }\n    ... on PaymentNotFound {\n      message\n    }\n    ... on PaymentNotCancellable {\n      message\n      payment {\n        ...PaymentFields\n      }\n    }\n    ... on ProviderUnavailable {\n      message\n      provider\n      retryable\n    }\n    ... on InvalidInput {\n      message\n      field\n    }\n    ... on IdempotencyKeyConflict {\n      message\n      idempotencyKey\n      retryable\n    }\n  }\n}": typeof types.CancelPaymentDocument,
    "fragment PaymentFields on Payment {\n  id\n  provider\n  providerPaymentId\n  status\n  providerStatus\n  isCancellable\n  amount {\n    amount\n    currencyCode\n    minorUnits\n  }\n  reference\n  description\n  metadata\n  createdAt\n  updatedAt\n  canceledAt\n  paymentMethod\n  statusReason {\n    type\n    declineType\n    code\n    message\n  }\n}\n\nquery Payment($id: ID!) {\n  payment(id: $id) {\n    ...PaymentFields\n  }\n}": typeof types.PaymentFieldsFragmentDoc,
};
const documents: Documents = {
    "mutation CancelPayment($input: CancelPaymentInput!) {\n  cancelPayment(input: $input) {\n    __typename\n    ... on CancelPaymentSuccess {\n      alreadyCanceled\n      payment {\n        ...PaymentFields\n      }\n    }\n    ... on PaymentNotFound {\n      message\n    }\n    ... on PaymentNotCancellable {\n      message\n      payment {\n        ...PaymentFields\n      }\n    }\n    ... on ProviderUnavailable {\n      message\n      provider\n      retryable\n    }\n    ... on InvalidInput {\n      message\n      field\n    }\n    ... on IdempotencyKeyConflict {\n      message\n      idempotencyKey\n      retryable\n    }\n  }\n}": types.CancelPaymentDocument,
    "fragment PaymentFields on Payment {\n  id\n  provider\n  providerPaymentId\n  status\n  providerStatus\n  isCancellable\n  amount {\n    amount\n    currencyCode\n    minorUnits\n  }\n  reference\n  description\n  metadata\n  createdAt\n  updatedAt\n  canceledAt\n  paymentMethod\n  statusReason {\n    type\n    declineType\n    code\n    message\n  }\n}\n\nquery Payment($id: ID!) {\n  payment(id: $id) {\n    ...PaymentFields\n  }\n}": types.PaymentFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CancelPayment($input: CancelPaymentInput!) {\n  cancelPayment(input: $input) {\n    __typename\n    ... on CancelPaymentSuccess {\n      alreadyCanceled\n      payment {\n        ...PaymentFields\n      }\n    }\n    ... on PaymentNotFound {\n      message\n    }\n    ... on PaymentNotCancellable {\n      message\n      payment {\n        ...PaymentFields\n      }\n    }\n    ... on ProviderUnavailable {\n      message\n      provider\n      retryable\n    }\n    ... on InvalidInput {\n      message\n      field\n    }\n    ... on IdempotencyKeyConflict {\n      message\n      idempotencyKey\n      retryable\n    }\n  }\n}"): typeof import('./graphql.js').CancelPaymentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment PaymentFields on Payment {\n  id\n  provider\n  providerPaymentId\n  status\n  providerStatus\n  isCancellable\n  amount {\n    amount\n    currencyCode\n    minorUnits\n  }\n  reference\n  description\n  metadata\n  createdAt\n  updatedAt\n  canceledAt\n  paymentMethod\n  statusReason {\n    type\n    declineType\n    code\n    message\n  }\n}\n\nquery Payment($id: ID!) {\n  payment(id: $id) {\n    ...PaymentFields\n  }\n}"): typeof import('./graphql.js').PaymentFieldsFragmentDoc;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
