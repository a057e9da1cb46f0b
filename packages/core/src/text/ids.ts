/** Agent ids are written `Agent_Backend`, `Backend Agent`, `backend-agent`: one key for all. */
export function agentKey(id: string): string {
  const words = id
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && w !== 'agent');
  return words.join('-') || id.toLowerCase();
}
