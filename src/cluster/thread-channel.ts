/**
 * Posts one message on the BroadcastChannel `name` without staying subscribed to it: the channel
 * is opened for this message and closed at once, so nothing posted by others reaches this thread.
 */
export function postOnce(name: string, message: object): void {
  const channel = new BroadcastChannel(name);
  try {
    channel.postMessage(message);
  } finally {
    channel.close();
  }
}
