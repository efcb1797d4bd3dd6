// Prints the summary table of a run.sh run: rate and p99 per scenario and target, and Switchboard ÷ Pomelo.
//   node summary.js RESULTS_DIR
var fs = require('fs');
var path = require('path');

var dir = process.argv[2];
var scenarios = [
  {name: 'echo', rate: 'requests_per_s', unit: 'requests/s'},
  {name: 'broadcast', rate: 'deliveries_per_s', unit: 'deliveries/s'},
  {name: 'churn', rate: 'cycles_per_s', unit: 'cycles/s'}
];
var targets = ['pomelo-frontend', 'pomelo-split', 'standalone', 'cluster'];

function result(scenario, target) {
  var file = path.join(dir, scenario + '-' + target + '.json');
  if (!fs.existsSync(file)) {
    return null;
  }
  var report = JSON.parse(fs.readFileSync(file, 'utf8'));
  return report.results.find(function(r) { return r.name === scenario; }) || report.results[0] || null;
}

function number(value, digits) {
  return value === undefined || value === null ? 'n/a'
      : value.toLocaleString('en-US', {maximumFractionDigits: digits || 0});
}

function ratio(a, b) {
  return a && b ? (a / b).toFixed(2) : 'n/a';
}

var lines = [];
lines.push('| scenario | Pomelo, frontend | Pomelo, connector + backend | Switchboard standalone | Switchboard cluster'
    + ' | standalone ÷ Pomelo frontend | cluster ÷ Pomelo connector + backend |');
lines.push('|---|---|---|---|---|---|---|');
scenarios.forEach(function(s) {
  var r = {};
  targets.forEach(function(t) { r[t] = result(s.name, t); });
  if (!targets.some(function(t) { return r[t]; })) {
    return;
  }
  var rate = function(t) { return r[t] ? r[t].figures[s.rate] : null; };
  var p99 = function(t) { return r[t] && r[t].figures.p99_us ? r[t].figures.p99_us / 1000 : null; };
  var problems = function(t) { return r[t] && r[t].problems.length ? ' (problems)' : ''; };
  lines.push('| ' + s.name + ' ' + s.unit + ' | ' + targets.map(function(t) { return number(rate(t)) + problems(t); })
      .join(' | ') + ' | **' + ratio(rate('standalone'), rate('pomelo-frontend')) + '** | **'
      + ratio(rate('cluster'), rate('pomelo-split')) + '** |');
  lines.push('| ' + s.name + ' p99 ms | ' + targets.map(function(t) { return number(p99(t), 1); }).join(' | ')
      + ' | ' + ratio(p99('standalone'), p99('pomelo-frontend')) + ' | ' + ratio(p99('cluster'), p99('pomelo-split'))
      + ' |');
});
targets.forEach(function(t) {
  scenarios.forEach(function(s) {
    var r = result(s.name, t);
    if (r && r.problems.length) {
      lines.push('', s.name + ' on ' + t + ': ' + r.problems.join('; '));
    }
  });
});
console.log(lines.join('\n'));
