import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The text of a PDF, read by pdf-parse (pdf.js) in a plain Node process: pdf.js loads its worker
 * with a dynamic import, which jest's module sandbox refuses without --experimental-vm-modules.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const script = `const { PDFParse } = require('pdf-parse');
const parser = new PDFParse({ data: new Uint8Array(require('node:fs').readFileSync(process.argv[1])) });
parser.getText().then((r) => { process.stdout.write(r.text); return parser.destroy(); }).catch((e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ['-e', script, file], { cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
