/** fingerprint, fault and heal commands. */
export async function more(command: string, _args: string[]): Promise<number> {
  console.error(`lab: unknown command ${command} (npm run lab -- help)`);
  return 2;
}
