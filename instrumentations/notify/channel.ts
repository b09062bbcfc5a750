import {
  CHANNEL_VALUE_EMAIL,
  CHANNEL_VALUE_OTHER,
  CHANNEL_VALUE_PUSH,
  CHANNEL_VALUE_SMS,
  CHANNEL_VALUE_WEBHOOK,
} from './semconv.js';
import type { NotifyChannel } from './types.js';

const KNOWN: ReadonlyMap<string, NotifyChannel> = new Map([
  [CHANNEL_VALUE_EMAIL, CHANNEL_VALUE_EMAIL],
  [CHANNEL_VALUE_SMS, CHANNEL_VALUE_SMS],
  [CHANNEL_VALUE_PUSH, CHANNEL_VALUE_PUSH],
  [CHANNEL_VALUE_WEBHOOK, CHANNEL_VALUE_WEBHOOK],
]);

/** The `notify.channel` value of `channel`: a known channel (case-insensitive) or `other`. */
export function channelOf(channel: unknown): NotifyChannel {
  if (typeof channel !== 'string') return CHANNEL_VALUE_OTHER;
  return KNOWN.get(channel.trim().toLowerCase()) ?? CHANNEL_VALUE_OTHER;
}
