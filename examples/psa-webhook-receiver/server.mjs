// Runs the example receiver: RF_WEBHOOK_SECRET (one whsec_…, or two comma-separated during a
// rotation) from `resolutionflow-server webhooks create --url http://127.0.0.1:5175/resolutionflow`.
import { startReceiver } from './receiver.mjs';

const secrets = (process.env.RF_WEBHOOK_SECRET ?? '').split(',').filter(Boolean);
if (secrets.length === 0) {
  process.stderr.write('Set RF_WEBHOOK_SECRET to the endpoint secret (whsec_…) printed at creation.\n');
  process.exit(1);
}
const receiver = await startReceiver({
  port: Number(process.env.PORT ?? 5175),
  secrets,
  onNote: (request, event) =>
    process.stdout.write(
      `${event.type} -> ${request.system} ticket ${request.ticketId}: would ${request.method} ${request.path}\n` +
        `${JSON.stringify(request.body, null, 2)}\n`,
    ),
});
process.stdout.write(`PSA webhook receiver listening on ${receiver.url}\n`);
