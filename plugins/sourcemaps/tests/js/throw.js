// Runs the minified bundle given as argv[2] until it throws; prints the error's V8 stack.
require(require("path").resolve(process.argv[2]));
try {
  globalThis.checkout([{ price: 100 }, { price: 75 }]);
} catch (error) {
  process.stdout.write(error.stack);
}
