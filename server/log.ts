// Structured logging (pino). One logger is built in main.ts and handed to the parts that log.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'concord' } });
}
