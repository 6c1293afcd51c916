/**
 * Cancels one payment through the gateway and prints one line saying what happened.
 *
 *   GATEWAY_URL=http://localhost:4000/graphql GATEWAY_API_KEY=... \
 *     npm run example:typed-client -- <payment id> [reason] [idempotency key]
 *
 * The payment id may also come from PAYMENT_ID. Exit code 0 when the payment is cancelled
 * (now or already), 1 for any other outcome, 2 for a usage error.
 *
 * Every member of CancelPaymentResult is handled by the switch in describeCancelResult: when
 * the schema gains a member, `npm run codegen` for the example adds it to the generated union
 * and this file stops compiling until it is handled.
 */
import { pathToFileURL } from 'node:url';
import { execute, type GatewayOptions } from './client.js';
import { CancelPaymentDocument, type CancelPaymentMutation } from './gql/graphql.js';

export type CancelResult = CancelPaymentMutation['cancelPayment'];

export interface CancelPaymentOptions extends GatewayOptions {
  /** The payment's global id. */
  readonly id: string;
  readonly reason?: string | undefined;
  readonly idempotencyKey?: string | undefined;
}

function amountOf(payment: { amount: { amount: string; currencyCode: string } }): string {
  return `${payment.amount.amount} ${payment.amount.currencyCode}`;
}

/** One human line per outcome. */
export function describeCancelResult(result: CancelResult): string {
  switch (result.__typename) {
    case 'CancelPaymentSuccess': {
      const { payment } = result;
      return result.alreadyCanceled
        ? `Payment ${payment.id} was already cancelled (${amountOf(payment)}, status ${payment.status}).`
        : `Cancelled payment ${payment.id} (${amountOf(payment)}): status ${payment.status}.`;
    }
    case 'PaymentNotCancellable': {
      const { payment } = result;
      return `Payment ${payment.id} cannot be cancelled: it is ${payment.status} (provider status ${payment.providerStatus}).`;
    }
    case 'PaymentNotFound':
      return `No such payment: ${result.message}`;
    case 'ProviderUnavailable':
      return `${result.provider} is unavailable: ${result.message} ${result.retryable ? 'Retry later.' : 'Retrying will not help.'}`;
    case 'InvalidInput':
      return `Invalid input${result.field === null ? '' : ` (${result.field})`}: ${result.message}`;
    case 'IdempotencyKeyConflict':
      return `Idempotency key ${JSON.stringify(result.idempotencyKey)} cannot be used: ${result.message} ${result.retryable ? 'Retry later for its outcome.' : 'Use a new key.'}`;
    default: {
      // A member of CancelPaymentResult this switch does not handle: a compile error here.
      const unhandled: never = result;
      throw new Error(`Unhandled cancelPayment result: ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Cancels the payment and returns the typed outcome. GraphQL errors throw GatewayRequestError. */
export async function cancelPaymentResult(options: CancelPaymentOptions): Promise<CancelResult> {
  const input = {
    id: options.id,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  };
  const data = await execute(options, CancelPaymentDocument, { input });
  return data.cancelPayment;
}

/** Cancels the payment and returns one human line saying what happened. */
export async function cancelPayment(options: CancelPaymentOptions): Promise<string> {
  return describeCancelResult(await cancelPaymentResult(options));
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [idArg, reason, idempotencyKey] = argv;
  const id = idArg ?? env['PAYMENT_ID'];
  const url = env['GATEWAY_URL'] ?? 'http://localhost:4000/graphql';
  const apiKey = env['GATEWAY_API_KEY'];
  if (id === undefined || id === '' || apiKey === undefined || apiKey === '') {
    process.stderr.write('usage: GATEWAY_API_KEY=<key> [GATEWAY_URL=<url>] cancel <payment id | $PAYMENT_ID> [reason] [idempotency key]\n');
    return 2;
  }
  const result = await cancelPaymentResult({ url, apiKey, id, reason, idempotencyKey });
  process.stdout.write(`${describeCancelResult(result)}\n`);
  return result.__typename === 'CancelPaymentSuccess' ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
