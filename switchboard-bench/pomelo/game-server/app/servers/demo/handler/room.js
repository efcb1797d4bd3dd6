// demo.room.join, demo.room.say, demo.room.leave: the semantics of Switchboard's DemoRooms (see lib/rooms.js).
var rooms = require('../../../lib/rooms');

module.exports = function(app) {
  return new RoomHandler(app);
};

var RoomHandler = function(app) {
  this.app = app;
};

RoomHandler.prototype.join = function(msg, session, next) {
  var app = this.app;
  var room = rooms.text(msg.room);
  var name = rooms.text(msg.name);
  if (room === null || name === null) {
    next(null, rooms.BAD_JOIN);
    return;
  }
  rooms.bound(session, function(err) {
    if (err) {
      next(err);
      return;
    }
    next(null, rooms.join(app, session.uid, session.frontendId, room, name));
  });
};

RoomHandler.prototype.say = function(msg, session, next) {
  var sent = !!session.uid && rooms.say(this.app, session.uid, msg.text);
  next(null, sent ? undefined : rooms.NOT_IN_ROOM);
};

RoomHandler.prototype.leave = function(msg, session, next) {
  if (!session.uid) {
    next(null, rooms.NOT_IN_ROOM);
    return;
  }
  rooms.leave(this.app, session.uid, function(left) {
    next(null, left ? {code: 200} : rooms.NOT_IN_ROOM);
  });
};
