// Usage: node scripts/wait-port.js PORT [TIMEOUT_SECONDS] — waits until 127.0.0.1:PORT accepts connections.
const net = require('node:net');
const port = Number(process.argv[2]);
const deadline = Date.now() + Number(process.argv[3] || 30) * 1000;
function attempt() {
  const s = net.connect({ host: '127.0.0.1', port });
  s.once('connect', () => {
    s.destroy();
    process.exit(0);
  });
  s.once('error', () => {
    s.destroy();
    if (Date.now() > deadline) {
      console.error(`wait-port: nothing listens on 127.0.0.1:${port}`);
      process.exit(1);
    }
    setTimeout(attempt, 100);
  });
}
attempt();
