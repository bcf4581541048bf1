import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout; nothing a client sent is logged beyond method and path. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'resolutionflow' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], remove: true },
    },
    destination,
  );
}
