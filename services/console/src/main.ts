import { consoleServer, consoleSettings } from './console-server';

// The customer-service console (docs/console.md): the web app and a pass-through to the five services.
const settings = consoleSettings(process.env);
const server = consoleServer(settings);
server.listen(settings.port, settings.host, () => {
  // the line npm start's supervisor learns the port from
  console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'console', port: settings.port, url: `http://${settings.host}:${settings.port}`, services: settings.services, msg: 'console listening' }));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
