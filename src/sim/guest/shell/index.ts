/**
 * The guest's shell: the libgpiod v2 tools (gpiodetect, gpioinfo, gpioget,
 * gpioset, gpiomon) plus simulator verbs that act on the world outside the
 * device. Pure text in, text out: the browser terminal, the CLI and the tests
 * all drive it through exec() and read what it prints. This index is the
 * wing's public face; shell.ts holds the Shell class, port.ts the one
 * interface to the outside.
 *
 * It runs INSIDE the simulation. A tool works through the simulated kernel
 * (gpiolib -> the virtio-gpio driver -> the virtqueues -> the device), so its
 * output appears when the simulated requests complete, never at once: after
 * `gpioget button`, nothing is printed until simulated time has passed.
 *
 * Output contract (the terminal glue relies on it):
 * - Everything printed goes to `onOutput(text, redrawInput)` and into the
 *   transcript. Newlines are "\n" (a terminal needs convertEol, or "\r\n").
 * - The shell prints its own prompt "$ " whenever it is ready for input: at
 *   construction, after each command that completes at once, and when a
 *   foreground job ends. `atPrompt` tells whether the prompt is the last
 *   thing printed (no foreground job, nothing running).
 * - exec(line) echoes the command after the prompt, so a transcript reads
 *   like a terminal session. exec(line, true) means "the terminal already
 *   echoed it" (the line editor did): the echo then goes to the transcript
 *   only, never again to onOutput.
 * - Output of a background job that arrives while the prompt is showing
 *   erases the prompt line ("\r\x1b[K" on the terminal; the transcript simply
 *   loses the prompt), prints, and draws the prompt again; `redrawInput` is
 *   then true and the glue must redraw what the user had typed
 *   (`editor.render()`).
 * - interrupt() is Ctrl-C: prints "^C" and a newline, stops the foreground
 *   job (releasing what it holds), and drops type-ahead. exec('\x03') does
 *   the same, so a recorded or scripted Ctrl-C can travel as a shell step.
 *
 * Suggested glue:
 *   term.onData((d) => editor.feedTo(d, (a) => a.kind === 'echo' ? term.write(a.text)
 *     : a.kind === 'line' ? shell.exec(a.text, true) : a.kind === 'interrupt' ? shell.interrupt()
 *     : (term.clear(), term.write((shell.atPrompt ? shell.prompt : '') + editor.render()))));
 *   shell.onOutput = (t, redraw) => { term.write(t); if (redraw) term.write(editor.render()); };
 *
 * Faithfulness: formats, messages and option parsing follow libgpiod v2.2.4's
 * tools and glibc getopt_long, re-implemented here from reading them. Linux
 * details that change what a user sees are kept: lines are requested one by
 * one and set to input / output as in linereq_create(); values are read and
 * toggled one line at a time in ascending offset order (gpio-virtio has no
 * get_multiple / set_multiple); a process waiting in a virtio request is in
 * uninterruptible sleep (the driver has no timeout), so Ctrl-C takes effect
 * only when the request completes.
 */
export { strerror } from './formats';
export type { ShellPort } from './port';
export { MAX_COMMAND_LENGTH, Shell, SHELL_INTERRUPT, SHELL_PROMPT } from './shell';
