import test from 'ava';
import {
  arr,
  call,
  obj,
  printLines,
  quoteString,
  raw,
  sqlText,
  statement,
  str,
  PRINT_WIDTH,
} from '../../lib/render/source-writer';

test('strings use single quotes unless double quotes need fewer escapes', (t) => {
  t.is(quoteString('plain'), "'plain'");
  t.is(quoteString("it's"), `"it's"`);
  t.is(quoteString(`it's "x"`), `'it\\'s "x"'`);
  t.is(quoteString('a\\b\nc\u2028'), "'a\\\\b\\nc\\u2028'");
  t.is(quoteString('\u0001'), "'\\u0001'");
  for (const value of ["it's", `"q" 'p'`, 'a\\b\nc\r\t\u2028\u2029\u0000', '${x}`']) {
    t.is(new Function(`return ${quoteString(value)};`)(), value);
  }
});

test('SQL with both kinds of quotes becomes a template literal, otherwise a string', (t) => {
  const both = `ALTER TYPE "e" ADD VALUE 'v'`;
  t.is((sqlText(both) as { text: string }).text, `\`${both}\``);
  t.is((sqlText('SELECT 1') as { text: string }).text, "'SELECT 1'");
  t.is((sqlText(`SELECT '\${x}' AS "a"`) as { text: string }).text, `'SELECT \\'\${x}\\' AS "a"'`);
  for (const sql of [both, 'SELECT 1', `SELECT '\${x}' AS "a"`, "SELECT '`' AS \"b\""]) {
    t.is(new Function(`return ${(sqlText(sql) as { text: string }).text};`)(), sql);
  }
});

test('a call that fits stays on one line', (t) => {
  const lines = printLines([statement(call('queryInterface.removeIndex', [str('users'), str('users_email')]))], 4);
  t.deepEqual(lines, ["    await queryInterface.removeIndex('users', 'users_email');"]);
});

test('a call too long for one line hugs its trailing object, with trailing commas', (t) => {
  const code = call('queryInterface.addIndex', [
    str('users'),
    arr([str('email'), str('created_at')]),
    obj([
      ['name', str('users_email_created_at')],
      ['unique', raw('true')],
    ]),
  ]);
  const [text] = printLines([statement(code)], 4);
  t.is(
    text,
    [
      "    await queryInterface.addIndex('users', ['email', 'created_at'], {",
      "      name: 'users_email_created_at',",
      '      unique: true,',
      '    });',
    ].join('\n'),
  );
  for (const line of (text ?? '').split('\n')) t.true(line.length <= PRINT_WIDTH);
});

test('a broken object always takes one line per entry; empty objects and arrays stay flat', (t) => {
  const [text] = printLines([statement(call('f', [obj([['a', raw('1')]], { broken: true }), obj([]), arr([])]))], 0);
  t.is(text, 'await f(\n  {\n    a: 1,\n  },\n  {},\n  [],\n);');
});

test('comments keep one line per line, without trailing spaces', (t) => {
  const lines = printLines([{ kind: 'comment', text: 'a' }, { kind: 'comment', text: '' }, { kind: 'blank' }], 2);
  t.deepEqual(lines, ['  // a', '  //', '']);
});
