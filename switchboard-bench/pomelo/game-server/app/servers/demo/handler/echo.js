// demo.echo.say answers with the request body; demo.echo.tell pushes it back as onTell (as Switchboard's EchoHandler).
var rooms = require('../../../lib/rooms');

module.exports = function(app) {
  return new EchoHandler(app);
};

var EchoHandler = function(app) {
  this.app = app;
};

EchoHandler.prototype.say = function(msg, session, next) {
  delete msg.__route__; // Pomelo adds the route to the body object; the echo answers the body as sent
  next(null, msg);
};

EchoHandler.prototype.tell = function(msg, session, next) {
  delete msg.__route__;
  var app = this.app;
  rooms.bound(session, function(err) {
    if (!err) {
      app.get('channelService').pushMessageByUids('onTell', msg, [{uid: session.uid, sid: session.frontendId}]);
    }
    next();
  });
};
