#!/usr/bin/env python3
"""Whole-program measures of the reader in a real pseudo-terminal (for BENCHMARKS.md).

usage: scripts/measure_tty.py [--cols 120] [--rows 40] [--runs 2] LIBRARY...

For each library, starts target/release/bitext in a pseudo-terminal and reports:
  first_ms  time from start until the first frame (the status line) is on screen
  line      bytes written for one line of scrolling in the reader (5 presses of j)
  page      bytes written for one page (3 presses of Space)
  peak_kb   peak resident memory (VmHWM) after the article was opened and scrolled
Run `cargo build --release` first. The index cache and state go to temporary folders that are
kept across runs of one library, so run 1 is a cold start and later runs are warm.
"""
import argparse, fcntl, os, pty, select, struct, sys, tempfile, termios, time

def run(binary, lib, cols, rows, env):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        os.environ.update(env)
        os.execv(binary, ['bitext', '--library', lib])
    t0 = time.time(); buf = bytearray(); first = None
    def drain(settle):
        n = 0; end = time.time() + settle
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.01)
            if r:
                try: d = os.read(fd, 65536)
                except OSError: return n
                buf.extend(d); n += len(d)
        return n
    while time.time() - t0 < 20 and first is None:
        drain(0.001)
        if b'help' in buf: first = time.time() - t0
    drain(1.5)
    press = lambda k, settle=0.4: (os.write(fd, k), drain(settle))[1]
    press(b'\r', 0.6)
    line = [press(b'j') for _ in range(5)]
    page = [press(b' ') for _ in range(3)]
    status = open(f'/proc/{pid}/status').read()
    peak = int([l for l in status.splitlines() if l.startswith('VmHWM')][0].split()[1])
    press(b'q'); press(b'q')
    os.waitpid(pid, 0)
    return dict(first_ms=round(first * 1000, 1) if first else None, line=line, page=page, peak_kb=peak)

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--cols', type=int, default=120); p.add_argument('--rows', type=int, default=40)
    p.add_argument('--runs', type=int, default=2); p.add_argument('libraries', nargs='+')
    a = p.parse_args()
    binary = os.path.join(os.path.dirname(__file__), '..', 'target', 'release', 'bitext')
    for lib in a.libraries:
        home = tempfile.mkdtemp(prefix='bitext-measure-')
        env = {'TERM': 'xterm-256color', 'XDG_STATE_HOME': home + '/state', 'XDG_CACHE_HOME': home + '/cache',
               'XDG_CONFIG_HOME': home + '/config'}
        for i in range(a.runs):
            print(f'{lib} run {i + 1} ({a.cols}x{a.rows}):', run(binary, lib, a.cols, a.rows, env), flush=True)

if __name__ == '__main__':
    sys.exit(main())
