import { setFlagsFromString } from 'node:v8';

/*
 * Imported first by main.ts, for its side effect. Most runs of this CLI last under a second
 * (validate, plan, a run on one host), and in those V8's optimizing compiler, TurboFan, spends
 * its time on a second thread compiling what start-up ran hot (the YAML parser, the module
 * loader, the schema validator) for code that has finished by the time it is ready: measured,
 * `runbook exec` of 30 steps on one host 0.61 -> 0.43 s of CPU and `runbook validate` 0.44 ->
 * 0.29 s. On a control node of two cores that CPU is taken from sshd and the commands. A run
 * that lasts (60 hosts, a 1 GiB transfer) gets TurboFan back after its first second, where it
 * pays: the 60-host converged run is as fast as with it from the start, and 10% slower without.
 */
setFlagsFromString('--no-turbofan');
setTimeout(() => setFlagsFromString('--turbofan'), 1000).unref();
