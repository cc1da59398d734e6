// A test-only crash hook (test/embedded/poison-execution.test.ts, bench/src/chaos), preloaded with
// `node --require` and so inherited by every evaluation thread: when a JSONata expression evaluates
// `$abs(-987654321)`, the thread asks V8 for an array longer than it can ever allocate (splitting a 268-million
// character string, the allocation Baton's JSONata bounds refuse), and V8 aborts the whole process with
// "Fatal JavaScript invalid size error", as the issue's `$pad("", 200000000)` did. Nothing in Baton knows about it.
const abs = Math.abs;
Math.abs = function (x) {
  if (x === -987654321) {
    let s = 'xxxx';
    for (let i = 0; i < 26; i++) s += s;
    s.split('');
  }
  return abs(x);
};
