// Runs after the generated project's build: the jar must be a bundle the launcher can install as is.
import java.util.jar.JarFile

// The archetype plugin passes the generated project's folder as context.projectDir.
File jar = new File(context.projectDir as File, 'target/archetype-example-1.0.0-SNAPSHOT.jar')
assert jar.isFile() : "no bundle at ${jar}"

new JarFile(jar).withCloseable { bundle ->
  def headers = bundle.manifest.mainAttributes
  assert headers.getValue('Bundle-SymbolicName') == 'org.example.archetypeexample'
  assert headers.getValue('Export-Package') == null : 'the implementation package must stay private'

  // A consumer of the API: from the version it was built against up to the next major version.
  String imports = headers.getValue('Import-Package')
  ['org.ganymede.api', 'org.ganymede.nn'].each { api ->
    def range = imports =~ /${api.replace('.', '\\.')};version="\[(\d+)\.\d+,(\d+)\)"/
    assert range.find() && (range.group(2) as int) == (range.group(1) as int) + 1 : "${api} in ${imports}"
  }

  String component = headers.getValue('Service-Component')
  assert component == 'OSGI-INF/org.example.archetypeexample.internal.MlpArchitecture.xml'
  String descriptor = bundle.getInputStream(bundle.getEntry(component)).text
  assert descriptor.contains('<provide interface="org.ganymede.api.Architecture"/>') : descriptor
  assert descriptor.contains('<property name="name" type="String" value="archetype-example"/>') : descriptor
}
true
