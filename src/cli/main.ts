/**
 * Command-line entry: `npm run --silent cli -- grad --checkpoint FILE --batch FILE ...`.
 * Commands live in their own modules; this file only dispatches and wires process I/O.
 */
import { GRAD_USAGE, run as grad, type CliIO } from './grad.ts';

const io: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const [command, ...args] = process.argv.slice(2);
if (command === 'grad') {
  process.exitCode = await grad(args, io);
} else {
  io.stderr(`cli: unknown command ${command === undefined ? '(none)' : `"${command}"`}; usage: ${GRAD_USAGE}\n`);
  process.exitCode = 2;
}
