using Mono.Cecil;
using Mono.Cecil.Cil;

namespace GatewayServer.Tests;

/// <summary>
/// Which layer of a compiled assembly references which, read from its IL: every type a type of
/// layer A names — base type, interfaces, fields, properties, signatures, locals, attributes, and
/// each type, method or field an instruction uses — counts, however the source spelled it (a
/// <c>using</c>, a short name resolved from an enclosing namespace, a fully qualified name).
/// A layer is the namespace segment after the assembly's root namespace
/// (<c>GatewayServer.Master.X</c> is layer <c>Master</c>); compiler-generated types belong to the
/// type they are nested in.
/// </summary>
public sealed class CompiledLayerReferences
{
    private readonly string _root;
    private readonly Dictionary<(string From, string To), string> _examples = new();

    private CompiledLayerReferences(string rootNamespace) => _root = rootNamespace + ".";

    /// <summary>Each (from, to) pair of distinct layers, with one example of the reference.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Edges => _examples;

    /// <summary>Reads the assembly at <paramref name="path"/>, whose types live under <paramref name="rootNamespace"/>.</summary>
    public static CompiledLayerReferences Read(string path, string rootNamespace)
    {
        var references = new CompiledLayerReferences(rootNamespace);
        using ModuleDefinition module = ModuleDefinition.ReadModule(path);
        foreach (TypeDefinition type in module.GetTypes())
        {
            string? layer = references.LayerOf(type);
            if (layer is not null)
            {
                references.Visit(layer, type);
            }
        }

        return references;
    }

    /// <summary>The layer a type belongs to, or null for types outside the root namespace.</summary>
    public string? LayerOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        if (!type.Namespace.StartsWith(_root, StringComparison.Ordinal))
        {
            return null;
        }

        string rest = type.Namespace[_root.Length..];
        int dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    private void Visit(string layer, TypeDefinition type)
    {
        Note(layer, type, type.BaseType);
        foreach (InterfaceImplementation implemented in type.Interfaces)
        {
            Note(layer, type, implemented.InterfaceType);
        }

        NoteAttributes(layer, type, type.CustomAttributes);
        foreach (FieldDefinition field in type.Fields)
        {
            Note(layer, type, field.FieldType);
            NoteAttributes(layer, type, field.CustomAttributes);
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            Note(layer, type, property.PropertyType);
        }

        foreach (EventDefinition @event in type.Events)
        {
            Note(layer, type, @event.EventType);
        }

        foreach (MethodDefinition method in type.Methods)
        {
            VisitMethod(layer, type, method);
        }
    }

    private void VisitMethod(string layer, TypeDefinition type, MethodDefinition method)
    {
        NoteSignature(layer, type, method);
        NoteAttributes(layer, type, method.CustomAttributes);
        if (!method.HasBody)
        {
            return;
        }

        foreach (VariableDefinition variable in method.Body.Variables)
        {
            Note(layer, type, variable.VariableType);
        }

        foreach (Instruction instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference referenced:
                    Note(layer, type, referenced);
                    break;
                case MethodReference called:
                    Note(layer, type, called.DeclaringType);
                    NoteSignature(layer, type, called);
                    if (called is GenericInstanceMethod generic)
                    {
                        foreach (TypeReference argument in generic.GenericArguments)
                        {
                            Note(layer, type, argument);
                        }
                    }

                    break;
                case FieldReference field:
                    Note(layer, type, field.DeclaringType);
                    Note(layer, type, field.FieldType);
                    break;
            }
        }
    }

    private void NoteSignature(string layer, TypeDefinition type, MethodReference method)
    {
        Note(layer, type, method.ReturnType);
        foreach (ParameterDefinition parameter in method.Parameters)
        {
            Note(layer, type, parameter.ParameterType);
        }
    }

    private void NoteAttributes(string layer, TypeDefinition type, IEnumerable<CustomAttribute> attributes)
    {
        foreach (CustomAttribute attribute in attributes)
        {
            Note(layer, type, attribute.AttributeType);
        }
    }

    private void Note(string layer, TypeDefinition from, TypeReference? referenced)
    {
        switch (referenced)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                Note(layer, from, generic.ElementType);
                foreach (TypeReference argument in generic.GenericArguments)
                {
                    Note(layer, from, argument);
                }

                return;
            case TypeSpecification specification:
                // Arrays, pointers, by-ref, modifiers: what counts is the type inside.
                Note(layer, from, specification.ElementType);
                return;
        }

        string? target = LayerOf(referenced);
        if (target is not null && target != layer)
        {
            _examples.TryAdd((layer, target), $"{from.FullName} → {referenced.FullName}");
        }
    }
}
