// Pomelo 2.2.7 serving Switchboard's demo routes (demo.echo.*, demo.room.*), for switchboard-bench/pomelo/run.sh.
// env=frontend: one "demo" server that is also the frontend (handlers in the connector process).
// env=split: a "connector" frontend and one "demo" backend; the connector forwards demo.* over Pomelo's RPC.
var pomelo = require('pomelo');
var rooms = require('./app/lib/rooms');

var app = pomelo.createApp();
app.set('name', 'switchboard-bench-pomelo');

// Raw Pomelo TCP (the bench's transport), heartbeats every 30 s as the bench's baseline announces, and no route
// dictionary or protobuf: the bench's handshake asks for neither and Switchboard's demo sends JSON bodies.
var connectorConfig = {
  connector: pomelo.connectors.hybridconnector,
  heartbeat: 30,
  useDict: false,
  useProtobuf: false,
  // TCP_NODELAY, as Netty sets it on Switchboard's connections (POMELO_NODELAY=0 for Pomelo's default, off): with
  // Nagle's algorithm small answers wait behind the client's delayed ACKs (~40 ms a round), but pushes coalesce.
  setNoDelay: process.env.POMELO_NODELAY !== '0'
};

app.configure('frontend|split', function() {
  if (app.isFrontend()) {
    app.set('connectorConfig', connectorConfig);
  }
});

app.configure('frontend', 'demo', function() {
  // The room state lives in this process: a closed connection leaves its room here.
  app.event.on(pomelo.events.CLOSE_SESSION, function(session) {
    if (session.uid) {
      rooms.leave(app, session.uid, function() { });
    }
  });
});

app.configure('split', 'connector', function() {
  // The room state lives in the demo backend: tell it when a connection that joined closes.
  app.event.on(pomelo.events.CLOSE_SESSION, function(session) {
    if (session.uid) {
      app.rpc.demo.roomRemote.leave(session, session.uid, function() { });
    }
  });
});

app.start();

process.on('uncaughtException', function(err) {
  console.error('uncaught exception: ' + err.stack);
});
