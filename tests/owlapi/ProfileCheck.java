// Loads an ontology with the OWL API (the library Protégé is built on), resolving owl:imports
// only through the catalog-v001.xml beside it (never from the network), and runs the OWL 2 DL
// profile check. Prints one line per finding and a summary line; exit code 0 when the ontology
// loads and is in OWL 2 DL, 1 when there are profile violations, 2 when it cannot be loaded.
//
// Run: java -cp '/usr/share/java/*' ProfileCheck.java path/to/gerokg.owl

import java.io.File;
import java.util.*;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.w3c.dom.*;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        File file = new File(args[0]).getAbsoluteFile();
        File catalog = new File(file.getParentFile(), "catalog-v001.xml");
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        m.getIRIMappers().clear();
        m.getOntologyParsers().clear();
        m.getOntologyParsers().add(new org.semanticweb.owlapi.rdf.rdfxml.parser.RDFXMLParserFactory());  // no default mappers: nothing resolves except the catalog
        Map<IRI, IRI> map = new HashMap<>();
        if (catalog.exists()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(catalog);
            NodeList uris = doc.getElementsByTagName("uri");
            for (int i = 0; i < uris.getLength(); i++) {
                Element e = (Element) uris.item(i);
                File target = new File(catalog.getParentFile(), e.getAttribute("uri"));
                map.put(IRI.create(e.getAttribute("name")), IRI.create(target));
            }
        }
        m.getIRIMappers().add((OWLOntologyIRIMapper) iri -> {
            IRI local = map.get(iri);
            if (local == null) {
                throw new IllegalStateException("import not in catalog-v001.xml: " + iri);
            }
            return local;
        });
        OWLOntologyLoaderConfiguration conf = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION);
        OWLOntology o;
        try {
            o = m.loadOntologyFromOntologyDocument(new FileDocumentSource(file, new RDFXMLDocumentFormat()), conf);
        } catch (Exception ex) {
            System.out.println("LOAD_ERROR\t" + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            System.exit(2);
            return;
        }
        int imports = o.getImportsClosure().size() - 1;
        OWLProfileReport report = new OWL2DLProfile().checkOntology(o);
        List<String> lines = new ArrayList<>();
        for (OWLProfileViolation v : report.getViolations()) {
            lines.add("VIOLATION\t" + v.getClass().getSimpleName() + "\t" + v.toString().replace('\n', ' '));
        }
        Collections.sort(lines);
        for (String l : lines) System.out.println(l);
        System.out.println("SUMMARY\tontology=" + o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("-")
            + "\timports=" + imports
            + "\taxioms=" + o.getAxiomCount(Imports.INCLUDED)
            + "\tclasses=" + o.getClassesInSignature(Imports.INCLUDED).size()
            + "\tviolations=" + report.getViolations().size());
        System.exit(report.isInProfile() ? 0 : 1);
    }
}
