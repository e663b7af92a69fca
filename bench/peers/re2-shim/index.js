'use strict';
// Stand-in for the native `re2` module: same constructor and RegExp methods, JavaScript's engine.
class RE2 extends RegExp {}
module.exports = RE2;
module.exports.RE2 = RE2;
module.exports.default = RE2;
