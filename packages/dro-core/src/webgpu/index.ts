/** Placeholder; implemented with the backend work item. */
export async function registerWebGpu(): Promise<void> {
  throw new Error('webgpu backend set-up not implemented yet');
}
