// Prints a free TCP port on 127.0.0.1 (used by scripts to start test services).
const net = require('node:net');
const srv = net.createServer();
srv.listen(0, '127.0.0.1', () => {
  const addr = srv.address();
  process.stdout.write(String(typeof addr === 'object' && addr ? addr.port : 0));
  srv.close();
});
