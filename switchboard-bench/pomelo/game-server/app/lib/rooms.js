// The demo's rooms on Pomelo channels, with the semantics of Switchboard's DemoRooms: a session is in at most one
// room; join answers {code: 200, members: [names in join order]} and pushes onJoin {name} to the others; say
// pushes onChat {from, text} to every member, the sender included; leave (or a closed connection) pushes
// onLeave {name} to those who stay; an empty room goes away. A member is its session (uid bound on first use);
// names are for display. The state lives in the process that runs the demo handlers.
var MAX_NAME = 64;
var members = {}; // uid -> {room, name, sid}

exports.BAD_JOIN = {code: 1090000001, message: 'join needs {"room":"..","name":".."}, each 1-64 characters'};
exports.NOT_IN_ROOM = {code: 1090000002, message: 'join a room first'};

exports.text = function(value) {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME ? value : null;
};

// Binds the session to a uid of its own once, so that channels can push to it.
exports.bound = function(session, cb) {
  if (session.uid) {
    process.nextTick(cb);
    return;
  }
  session.bind(session.frontendId + '/' + session.id, cb);
};

exports.join = function(app, uid, sid, roomId, name) {
  leaveNow(app, uid);
  var channelService = app.get('channelService');
  var channel = channelService.getChannel(roomId, true);
  var others = channel.getMembers().map(function(memberUid) {
    return {uid: memberUid, sid: members[memberUid].sid};
  });
  if (others.length > 0) {
    channelService.pushMessageByUids('onJoin', {name: name}, others);
  }
  channel.add(uid, sid);
  members[uid] = {room: roomId, name: name, sid: sid};
  return {
    code: 200,
    members: channel.getMembers().map(function(memberUid) {
      return members[memberUid].name;
    })
  };
};

exports.say = function(app, uid, text) {
  var me = members[uid];
  if (!me) {
    return false;
  }
  var channel = app.get('channelService').getChannel(me.room, false);
  channel.pushMessage('onChat', {from: me.name, text: text === undefined ? null : text});
  return true;
};

exports.leave = function(app, uid, cb) {
  var left = leaveNow(app, uid);
  process.nextTick(function() {
    cb(left);
  });
};

function leaveNow(app, uid) {
  var me = members[uid];
  if (!me) {
    return false;
  }
  delete members[uid];
  var channelService = app.get('channelService');
  var channel = channelService.getChannel(me.room, false);
  if (channel) {
    channel.leave(uid, me.sid);
    if (channel.getUserAmount() === 0) {
      channelService.destroyChannel(me.room);
    } else {
      channel.pushMessage('onLeave', {name: me.name});
    }
  }
  return true;
}
