// Fault injection for the hub test server: which faults apply to a request, and how a body is sent under them.

/** Bytes written per socket write; small enough that throttling and drops land mid-file. */
const WRITE_PIECE_BYTES = 64 * 1024;
/** How often a throttled body is topped up. */
const THROTTLE_TICK_MS = 50;

/**
 * The first fault of `type` that matches repo and path and has uses left; consumes one use.
 * A fault without `path` matches every file of its repo (or of every repo without `repo`).
 */
export function takeFault(faults, repo, path, type) {
  const fault = faults.find(
    (f) =>
      f.type === type &&
      (f.repo === undefined || f.repo === repo) &&
      (f.path === undefined || f.path === path) &&
      (f.times === undefined || f.times > 0),
  );
  if (fault && fault.times !== undefined) fault.times -= 1;
  return fault;
}

/** Sends `body` (the file bytes from offset `start`) applying corrupt, slow and drop faults. */
export async function applyFaultToBody({ faults, repo, path, body, start, res, onBytes }) {
  const corrupt = takeFault(faults, repo, path, 'corrupt');
  const slow = takeFault(faults, repo, path, 'slow');
  const drop = takeFault(faults, repo, path, 'drop');
  const stall = takeFault(faults, repo, path, 'stall');

  let bytes = body;
  if (corrupt) {
    const fileOffset = corrupt.offset ?? start + Math.floor(body.length / 2);
    const at = fileOffset - start;
    if (at >= 0 && at < body.length) {
      bytes = Uint8Array.from(body);
      bytes[at] ^= 0xff;
    }
  }
  const limit = drop || stall ? Math.min((drop ?? stall).afterBytes ?? 0, bytes.length) : bytes.length;
  const perTick = slow ? Math.max(1, Math.floor((slow.bytesPerSecond * THROTTLE_TICK_MS) / 1000)) : Infinity;

  let sent = 0;
  while (sent < limit && !res.destroyed) {
    const piece = bytes.subarray(sent, Math.min(limit, sent + Math.min(WRITE_PIECE_BYTES, perTick)));
    await write(res, piece);
    sent += piece.length;
    onBytes(piece.length);
    if (slow && sent < limit) await new Promise((done) => setTimeout(done, THROTTLE_TICK_MS));
  }
  if (stall) {
    // Headers and some bytes sent, then nothing, with the connection open: as a hung proxy or server does.
    await new Promise((done) => res.once('close', done));
    return;
  }
  if (drop) {
    // Cut the TCP connection with the body unfinished, as a flaky network or a proxy timeout does.
    res.socket?.destroy();
    return;
  }
  if (!res.destroyed) res.end();
}

function write(res, piece) {
  return new Promise((done) => {
    const onClose = () => done(undefined);
    res.once('close', onClose);
    res.write(piece, () => {
      res.off('close', onClose);
      done(undefined);
    });
  });
}
