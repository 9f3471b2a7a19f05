/**
 * Param values hostile to the interpreters a param reaches: sh, the mysql client (`\!` runs a
 * shell command, `;` ends a statement), tar (options that run a program) and systemctl (a
 * leading `-` is an option). Each tries to create `sentinel`, so a test can prove that nothing
 * ran by its absence on every host.
 */
export function hostileValues(sentinel: string): string[] {
  const touch = `touch ${sentinel}`;
  return [
    // sh
    `x; ${touch}`,
    `x && ${touch}`,
    `$(${touch})`,
    `\`${touch}\``,
    `x'; ${touch}; '`,
    `x"; ${touch}; "`,
    `x\n${touch}`,
    // mysql: -e "USE $db" with $db = `nova; \! touch ...` runs the shell command
    `nova; \\! ${touch}`,
    `nova\`; \\! ${touch}; \``,
    // tar
    `--checkpoint=1 --checkpoint-action=exec=${touch}`,
    `--to-command=${touch}`,
    `-I${touch}`,
    // systemctl
    '--',
    `--root=${sentinel}`,
    '-H',
    // a path that leaves where it points
    `/etc/nova/../..${sentinel}`,
  ];
}
