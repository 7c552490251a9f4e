// import() for the bundle. bin/tcpdiag.js runs the bundle from a V8 code
// cache (vm.Script); on Node 20 code loaded that way cannot import() (the
// host options of the dynamic-import callback are not in the cache). This
// file is loaded by a plain require() beside the bundle, so its import() works.
module.exports = (specifier) => import(specifier);
