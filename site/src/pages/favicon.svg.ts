// Starlight links /favicon.svg from every page; without this file each page load logs a 404.
const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#3d50f5"/><path d="M7 23V11h3l3 6 3-6h3v12h-3v-7l-3 6-3-6v7z" fill="#fff"/><rect x="21" y="20" width="4" height="3" fill="#fff"/></svg>
`;

export function GET() {
  return new Response(icon, { headers: { 'Content-Type': 'image/svg+xml' } });
}
