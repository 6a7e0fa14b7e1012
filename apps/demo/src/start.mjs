// Placeholder demo until apps/demo lands: runs a coroutine with gust's Future.
console.log('gust demo: the full demo app is under construction; see README.md.');
