// A program that never imports async-trace/runtime: tracing it records nothing.
setTimeout(() => console.log('untraced program done'), 10);
