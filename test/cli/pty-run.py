"""Runs a command in a pseudo-terminal, answering prompts as they appear.

argv[1]: JSON {"cwd", "argv", "answers": [[text to wait for, answer], ...], "timeout"}.
Prints JSON {"code", "output", "unanswered"}: output is what the terminal showed (stdout and
stderr together, CRLF line ends), unanswered the prompts that never appeared.
"""
import json, os, pty, select, signal, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execv(spec["argv"][0], spec["argv"])

output = b""
seen = 0
answers = list(spec["answers"])
deadline = time.time() + spec.get("timeout", 60)
timed_out = False
while True:
    if time.time() > deadline:
        timed_out = True
        os.kill(pid, signal.SIGKILL)
        break
    ready, _, _ = select.select([fd], [], [], 0.1)
    if fd in ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    if answers:
        wanted = answers[0][0].encode()
        at = output.find(wanted, seen)
        if at >= 0:
            seen = at + len(wanted)
            os.write(fd, (answers[0][1] + "\n").encode())
            answers.pop(0)
_, status = os.waitpid(pid, 0)
print(json.dumps({
    "code": None if timed_out else os.waitstatus_to_exitcode(status),
    "output": output.decode("utf8", "replace"),
    "unanswered": [a[0] for a in answers],
}))
