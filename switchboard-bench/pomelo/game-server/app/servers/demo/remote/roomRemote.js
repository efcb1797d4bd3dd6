// Called by the connector (env=split) when a connection that joined a room closes.
var rooms = require('../../../lib/rooms');

module.exports = function(app) {
  return new RoomRemote(app);
};

var RoomRemote = function(app) {
  this.app = app;
};

RoomRemote.prototype.leave = function(uid, cb) {
  rooms.leave(this.app, uid, function(left) {
    cb(null, left);
  });
};
