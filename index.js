// The package's entry point, as community node packages carry it. n8n does not load nodes from
// here: it reads the `n8n` section of package.json (nodes and credentials under dist/).
module.exports = {};
