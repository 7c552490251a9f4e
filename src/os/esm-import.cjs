// import() for the bundle. bin/tcpdiag.js runs the bundle as a vm.Script
// (to load it with a V8 code cache), and import() in a vm.Script needs an
// experimental loader option. This file is loaded by a plain require() from
// beside the bundle, so its import() is an ordinary one.
module.exports = (specifier) => import(specifier);
