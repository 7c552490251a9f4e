// Compile-time agreement between a zod schema and the TypeScript type the
// code builds. `Same<A, B>` is true only when the two types are identical
// (after flattening intersections), so a field added, removed, renamed,
// made optional or retyped on one side and not the other fails `tsc`:
//
//   type _Check = Assert<Same<z.infer<typeof PortsData>, PortsDataType>>;

/** Flattens intersections (`A & B`) into one object type, all the way down. */
type Flat<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]: Flat<T[K]> } : T;

export type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;

/** Fails to compile unless T is `true`. */
export type Assert<T extends true> = T;
