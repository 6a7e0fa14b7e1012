// `npm start`: runs the demo app (apps/demo). Until the demo lands, this shows the seed's coroutine style.
import { spawn } from 'node:child_process';

const child = spawn('npm', ['run', 'start', '--workspace', '@gust/demo'], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
